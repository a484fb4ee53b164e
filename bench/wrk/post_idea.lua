-- POST /api/v1/challenges/{id}/ideas: new ideas (each indexed for search in its commit).
--   wrk ... -s post_idea.lua http://127.0.0.1:PORT -- SESSIONS CHALLENGES
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local words = { "shared", "handover", "notes", "for", "community", "nurses", "and", "a", "weekly", "huddle",
  "with", "pharmacy", "to", "cut", "discharge", "delays", "on", "frailty", "wards" }
local n = 0

-- Who posts where is prebuilt; every title and body is new.
local heads = common.prebuilt(1024, "staff", function(_, args, sessions)
  return { path = string.format("/api/v1/challenges/%d/ideas", 1 + math.random(tonumber(args[2]) - 1)),
           headers = common.headers(sessions[math.random(#sessions)], true) }
end)

local function word() return words[math.random(#words)] end

function request()
  n = n + 1
  local h = heads[(n - 1) % #heads + 1]
  local body = string.format('{"title":"%s %s idea %d-%d","body":"%s %s %s %s %s, so patients wait less.","tags":["flow"]}',
    word(), word(), thread_index or 1, n, word(), word(), word(), word(), word())
  return wrk.format("POST", h.path, h.headers, body)
end
