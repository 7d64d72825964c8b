-- wrk: POST /items to CountApp. See items.lua for the environment.
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
  local parts = {}
  for i, it in ipairs(items.next_items()) do
    parts[i] = '{"id":"' .. it[2] .. '","tenant":"' .. it[1] .. '"}'
  end
  return wrk.format("POST", "/items", { ["Content-Type"] = "application/json" }, "[" .. table.concat(parts, ",") .. "]")
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. ": " .. body .. "\n")
  end
end
