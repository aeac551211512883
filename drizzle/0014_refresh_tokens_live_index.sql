-- A session's live refresh tokens: every rotation retires them (refresh_tokens.rotate), and through
-- refresh_tokens_session_idx it scanned every token the session ever had (1,205 entries after 1,200
-- refreshes). A session has one live token, so this index has one entry per live session.
CREATE INDEX "refresh_tokens_live_idx" ON "refresh_tokens" USING btree ("session_id") WHERE "refresh_tokens"."retired_at" is null;
