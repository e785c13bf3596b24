-- Statuses compare calendar days in UTC, not moments (decision 017; README, "What the status
-- means"). A completion valid until day D counts through the whole of D, whatever its time of
-- day; it is expiring from 30 days before D (exactly 30 counts) and expired from D + 1. A due date
-- D is met through the whole of D and overdue from D + 1. Only the reading rule changes: the
-- stored state holds dates (decision 016), so nothing is rebuilt.
CREATE OR REPLACE FUNCTION "bulwark_requirement_status"(valid_until TIMESTAMP(3), due_on DATE, at TIMESTAMP(3)) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN CAST(valid_until AS DATE) > CAST(at AS DATE) + 30 THEN 'COMPLIANT'
		WHEN CAST(valid_until AS DATE) >= CAST(at AS DATE) THEN 'EXPIRING'
		WHEN due_on >= CAST(at AS DATE) THEN 'DUE'
		ELSE 'OVERDUE'
	END
$$;
