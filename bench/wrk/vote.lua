-- PUT /api/v1/ideas/{id}/vote from many people on many ideas. Each thread votes as its
-- own people; each (person, idea) pair flips between 1 and -1 each time it comes round,
-- so every request is a real change, committed before its answer.
--   wrk ... -s vote.lua http://127.0.0.1:PORT -- SESSIONS IDEAS THREADS
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
local n, round, mine = 0, 0, nil

local pairs_ = common.prebuilt(4096, "staff", function(_, args, sessions)
  if not mine then  -- this thread's people: no two threads vote as the same person
    local threads = tonumber(args[3] or "2")
    mine = {}
    for _, s in ipairs(sessions) do
      if s.id % threads == (thread_index or 1) - 1 then mine[#mine + 1] = s end
    end
  end
  local path = "/api/v1/ideas/" .. math.random(tonumber(args[2])) .. "/vote"
  local h = common.headers(mine[math.random(#mine)], true)
  return { wrk.format("PUT", path, h, '{"value":1}'), wrk.format("PUT", path, h, '{"value":-1}') }
end)

function request()
  n = n + 1
  if n > #pairs_ then n, round = 1, round + 1 end
  return pairs_[n][round % 2 + 1]
end
