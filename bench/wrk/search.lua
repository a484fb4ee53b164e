-- GET /api/v1/search?q=..., signed in: one- and two-word queries over the ideas.
--   wrk ... -s search.lua http://127.0.0.1:PORT -- SESSIONS
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local terms = { "discharge", "handover", "frailty", "dementia", "rota", "pharmacy", "wellbeing", "triage",
  "falls", "carers", "loneliness", "interpreters", "apprenticeship", "estates", "escalation", "nutrition" }

common.prebuilt(512, "staff", function(i, _, sessions)
  local s = sessions[math.random(#sessions)]
  local q = terms[math.random(#terms)]
  if i % 2 == 0 then q = q .. "+" .. terms[math.random(#terms)] end
  return wrk.format("GET", "/api/v1/search?q=" .. q .. "&limit=20", common.headers(s, false))
end)
