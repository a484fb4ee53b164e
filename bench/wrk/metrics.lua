-- GET /api/v1/metrics/challenges/{id} as a design group member (run it with one
-- connection: how long one answer takes, not how many fit in a second).
--   wrk ... -s metrics.lua http://127.0.0.1:PORT -- SESSIONS CHALLENGE_ID
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")

common.prebuilt(1, "design_group", function(_, args, sessions)
  return wrk.format("GET", "/api/v1/metrics/challenges/" .. args[2], common.headers(sessions[1], false))
end)
