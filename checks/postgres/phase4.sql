-- strata integrity checks for tag "phase4" (PostgreSQL)
-- Each query returns the offending rows; none when the data is healthy.

-- content.content_viral_score_range: viral_score, when set, is the AI viral potential from 1 to 10
SELECT id, viral_score FROM content WHERE viral_score IS NOT NULL AND viral_score NOT BETWEEN 1 AND 10;

-- usage_tracking.usage_at_most_12_months_per_year: A user has at most one usage row per month, so at most 12 per calendar year
SELECT user_id, substr(month_year, 1, 4) AS year, COUNT(*) AS months FROM usage_tracking GROUP BY user_id, substr(month_year, 1, 4) HAVING COUNT(*) > 12;

-- usage_tracking.usage_month_year_format: month_year must be YYYY-MM with a month from 01 to 12
SELECT id, month_year FROM usage_tracking WHERE month_year NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR substr(month_year, 6, 2) NOT BETWEEN '01' AND '12';
