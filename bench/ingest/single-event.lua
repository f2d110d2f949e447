-- wrk script: every request is one batch of ONE valid File event with its own EventId (a UUID made
-- of the wrk thread's number and a counter), as an agent flushing each change on its own would send.
-- Usage: wrk -t2 -c200 -d30s -s bench/ingest/single-event.lua http://localhost:PORT/v1/events
-- 202s are counted in done(); anything else (429 with Retry-After, 503) is reported, not retried:
-- wrk measures how many single-event batches the service takes per second, not an agent's retry.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  accepted = 0
  refused = 0
end

function request()
  counter = counter + 1
  local id = string.format("%08x-0000-4000-8000-%012x", thread_no, counter)
  local body = '[{"TimeGenerated":"2024-05-01T10:15:30.123Z","EventId":"' .. id ..
    '","Computer":"node-' .. (counter % 50) .. '","MonitoredEntityType":"File","ChangeType":"Modified",' ..
    '"FilePath":"/etc/app/' .. counter .. '/config.yaml","FileName":"config.yaml","FileType":"File",' ..
    '"FileSize":1234,"PreviousFileSize":1200,"FileSha256":"' .. string.rep("a", 64) ..
    '","PreviousFileSha256":"' .. string.rep("b", 64) .. '","FileMode":"0644","FileOwner":"0","FileGroup":"0",' ..
    '"FieldsChanged":["Content","Size"],"DetectionSource":"Realtime","PolicyNames":["linux-recommended"]}]'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
  end
  local secs = summary.duration / 1e6
  io.write(string.format('{"singleEventBatches":%d,"refused":%d,"seconds":%.1f,"acceptedPerSecond":%.0f,"p50ms":%.1f,"p99ms":%.1f}\n',
    a, r, secs, a / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
