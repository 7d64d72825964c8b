-- wrk: read counts, CountApp's GET /items/<tenant>/count or webdis' GET /SCARD/<tenant> (TARGET=webdis),
-- cycling over the 100 tenants the post scripts write (COUNT_PREFIX, else PREFIX).
local prefix = os.getenv("COUNT_PREFIX") or os.getenv("PREFIX") or "wrk"
local webdis = os.getenv("TARGET") == "webdis"
local n = 0

function request()
  n = n + 1
  local tenant = prefix .. "-" .. (n % 100)
  if webdis then
    return wrk.format("GET", "/SCARD/" .. tenant)
  end
  return wrk.format("GET", "/items/" .. tenant .. "/count")
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("HTTP " .. status .. ": " .. body .. "\n")
  end
end
