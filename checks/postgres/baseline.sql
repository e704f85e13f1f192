-- strata integrity checks for tag "baseline" (PostgreSQL)
-- Each query returns the offending rows; none when the data is healthy.

-- content.content_viral_score_range: viral_score, when set, is the AI viral potential from 1 to 10
SELECT id, viral_score FROM content WHERE viral_score IS NOT NULL AND viral_score NOT BETWEEN 1 AND 10;
