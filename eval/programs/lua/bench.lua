-- bench.lua N OUTFILE - the Lua workload of the evaluation (eval/programs/lua/
-- workload): what an interpreter does all day, at size N.  Every part prints
-- a result that depends on all of its work, and the workload compares the
-- output with expected-N.txt, so a miscompiled or misbehaving interpreter
-- fails instead of being timed.  Deterministic: no time, no addresses, no
-- iteration order of hash tables in the output.
--   calls      recursive Lua calls (fib), closures and upvalues
--   sort       table.sort with a Lua comparator (C calling back into Lua)
--   strings    string.format, gsub with a function, gmatch, rep, concat
--   coroutine  a generator through coroutine.wrap
--   errors     pcall / error: the interpreter's setjmp / longjmp
--   load       compiling code strings at run time
--   files      writing OUTFILE line by line and reading it back (io library)
local N = tonumber(arg[1]) or 1
local OUT = arg[2] or os.tmpname()

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function counter()
  local c = 0
  return function(k) c = c + k; return c end
end

local function part_calls()
  local f, acc = counter(), 0
  for i = 1, 20 * N do acc = f(fib(10 + i % 8)) end
  return acc
end

-- a linear congruential generator: the same numbers on every platform
local seed = 42
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local function part_sort()
  local t, sum = {}, 0
  for i = 1, 2000 * N do t[i] = rand(1000003) end
  table.sort(t, function(a, b) return a > b end)
  for i = 1, #t, 97 do sum = (sum + t[i] * i) % 1000000007 end
  return string.format("%d %d %d", t[1], t[#t], sum)
end

local function part_strings()
  local parts = {}
  for i = 1, 1000 * N do parts[#parts + 1] = string.format("%05d:%s", i, tostring(i * 7)) end
  local s = table.concat(parts, ",")
  local n, digits = 0, 0
  for _ in s:gmatch("%d+:") do n = n + 1 end
  local r = s:gsub("(%d+):(%d+)", function(a, b) digits = digits + #b; return b .. "=" .. a end)
  return string.format("%d %d %d %d", #s, n, digits, #r + #string.rep("ab", N, "-"))
end

local function part_coroutine()
  local gen = coroutine.wrap(function()
    for i = 1, 5000 * N do coroutine.yield(i * i % 1009) end
    return nil
  end)
  local sum = 0
  for v in gen do sum = sum + v end
  return sum
end

local function part_errors()
  local caught = 0
  for i = 1, 500 * N do
    local ok, msg = pcall(function(k) if k % 3 == 0 then error("bad " .. k, 0) end return k end, i)
    if not ok and msg == "bad " .. i then caught = caught + 1 end
  end
  return caught
end

local function part_load()
  local sum = 0
  for i = 1, 100 * N do
    local f = assert(load("local x = ... return x * " .. i .. " + " .. (i % 7)))
    sum = sum + f(3)
  end
  return sum
end

local function part_files()
  local f = assert(io.open(OUT, "w"))
  for i = 1, 500 * N do f:write(string.format("line %d %d\n", i, i * i % 997)) end
  f:close()
  local lines, sum = 0, 0
  for l in io.lines(OUT) do
    lines = lines + 1
    sum = sum + tonumber(l:match("(%d+)$"))
  end
  os.remove(OUT)
  return string.format("%d %d", lines, sum)
end

print("calls", part_calls())
print("sort", part_sort())
print("strings", part_strings())
print("coroutine", part_coroutine())
print("errors", part_errors())
print("load", part_load())
print("files", part_files())
