-- The baseline run: wrk's own fixed GET, with the RESULT line of the other scripts.
local common = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "common.lua")
setup = common.setup
done = common.done
