-- GET /api/v1/challenges/{id}/ideas?sort=top&limit=20, signed in, over the challenges.
--   wrk ... -s ideas_top.lua http://127.0.0.1:PORT -- SESSIONS CHALLENGES
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")

common.prebuilt(512, "staff", function(_, args, sessions)
  local s = sessions[math.random(#sessions)]
  local path = string.format("/api/v1/challenges/%d/ideas?sort=top&limit=20", math.random(tonumber(args[2])))
  return wrk.format("GET", path, common.headers(s, false))
end)
