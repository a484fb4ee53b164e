-- GET /api/v1/ideas/{id}, signed in, over all the ideas.
--   wrk ... -s idea_get.lua http://127.0.0.1:PORT -- SESSIONS IDEAS
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")

common.prebuilt(2048, "staff", function(_, args, sessions)
  local s = sessions[math.random(#sessions)]
  return wrk.format("GET", "/api/v1/ideas/" .. math.random(tonumber(args[2])), common.headers(s, false))
end)
