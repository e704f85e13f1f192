// SHA-256 (FIPS 180-4), for the migration checksums. Small and dependency
// free: the checksums must not depend on which crypto library a machine has.
#pragma once

#include <string>
#include <string_view>

namespace strata {

// Lower-case hex digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace strata
