-- wrk: the same items as countapp-post.lua, as webdis GET /SADD/<tenant>/<id>/<id>… (one SADD per tenant
-- group; with TENANTS=1 that is one SADD per request, as Redis users would send them).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local items = require("items")
local all_threads = {}

function setup(thread)
  all_threads[#all_threads + 1] = thread
  thread:set("tid", #all_threads)
end

function init(args)
  items.init_thread(tid)
  sent_snapshot = items.sent_counts()
end

function done(summary, latency, requests)
  items.write_sent(all_threads)
end

function request()
  local list = items.next_items()
  local tenant = list[1][1]
  local parts = { "/SADD/" .. tenant }
  for i, it in ipairs(list) do
    parts[#parts + 1] = it[2]
  end
  return wrk.format("GET", table.concat(parts, "/"))
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. ": " .. body .. "\n")
  end
end
