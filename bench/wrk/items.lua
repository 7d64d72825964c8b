-- Shared by the wrk scripts of `make bench`: which ids and tenants a request carries.
-- Every wrk thread has its own Lua state; setup() numbers them so their fresh ids never overlap.
-- Environment (read once per thread):
--   BATCH       items per request (default 100)
--   TENANTS     tenants per request: 1 = all items of one tenant (rotating over 100 tenants), 100 = spread
--   DUPLICATES  share of items that re-send an id this thread sent before, 0..1 (default 0)
--   PREFIX      tenant name prefix (default "wrk")
local M = {}

local batch = tonumber(os.getenv("BATCH") or "100")
local spread = tonumber(os.getenv("TENANTS") or "1")
local dup = tonumber(os.getenv("DUPLICATES") or "0")
local prefix = os.getenv("PREFIX") or "wrk"
local ntenants = 100

M.batch = batch
M.prefix = prefix
M.ntenants = ntenants

local thread_id = 0
local request_no = 0
-- Ids already sent per tenant: tenant t's ids are t<thread>-<k> for k in [0, sent[t]).
local sent = {}
for t = 0, ntenants - 1 do sent[t] = 0 end

function M.init_thread(id)
  thread_id = id
  math.randomseed(id * 7919 + 17)
end

-- Distinct ids this thread generated per tenant (globals, so done() can read them with thread:get).
function M.sent_counts()
  return sent
end

-- For done(): writes "<tenant> <distinct ids sent>" lines, summed over the threads, to the file named by
-- SENT_FILE, so the benchmark can check every count afterwards (no pair counted twice, none lost).
function M.write_sent(threads)
  local file = os.getenv("SENT_FILE")
  if not file then return end
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("sent_snapshot")
    if counts then
      for t, n in pairs(counts) do
        totals[t] = (totals[t] or 0) + n
      end
    end
  end
  local f = io.open(file, "w")
  for t = 0, ntenants - 1 do
    f:write(prefix .. "-" .. t .. " " .. (totals[t] or 0) .. "\n")
  end
  f:close()
end

-- The next request's items: a list of {tenant, id} pairs. A duplicate re-sends an id of the same tenant,
-- so it is the same pair (already counted), never a new one.
function M.next_items()
  request_no = request_no + 1
  local items = {}
  for i = 1, batch do
    local t
    if spread == 1 then
      t = request_no % ntenants
    else
      t = (i - 1) % ntenants
    end
    local k
    if dup > 0 and sent[t] > 0 and math.random() < dup then
      k = math.random(0, sent[t] - 1)
    else
      k = sent[t]
      sent[t] = k + 1
    end
    items[i] = { prefix .. "-" .. t, string.format("t%d-%x", thread_id, k) }
  end
  return items
end

return M
