-- wrk-digits.lua - digits infer requests for wrk, the HTTP benchmark.
--
-- Part of kiln, under the Apache License v2.0 with LLVM Exceptions.
--
-- Every request posts the first image of examples/digits/test_set.txt; wrk
-- counts replies but checks none (kiln-load-client checks every one). From
-- the repository root:
--   wrk -t2 -c16 -d10s --latency -s examples/server/wrk-digits.lua \
--     http://127.0.0.1:8000/v2/models/digits/infer

local function firstImage(path)
  for line in io.lines(path) do
    if line:sub(1, 1) ~= "#" and line ~= "" then
      local fields = {}
      for field in line:gmatch("%S+") do
        fields[#fields + 1] = field
      end
      return table.concat(fields, ", ", 2, 65) -- after the label
    end
  end
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs": [{"name": "pixels", "shape": [1, 64], ' ..
  '"datatype": "FP32", "data": [' ..
  firstImage("examples/digits/test_set.txt") .. ']}]}'
