-- Neovim 0.7 (Debian bookworm) driving the cmts server over stdio with its built-in client
-- (vim.lsp.start_client; vim.lsp.start is 0.8+). Checks: diagnostics arrive with their codes
-- and docs links, a closed file of the workspace gets its diagnostics too, hover answers, the
-- unknown-step-type quick fix applies and the diagnostic clears.
-- Run: nvim --headless --clean -n -u NONE -c 'luafile test/e2e/nvim-lsp.lua'
-- Env: SERVER_JS, WS_ROOT and the E2E_* variables of test/e2e/plan.ts.
local env = function(k) return assert(os.getenv(k), k .. ' is not set') end
local server, root = env('SERVER_JS'), env('WS_ROOT')
local file = root .. '/' .. env('E2E_TYPO_FILE')
local closed = root .. '/' .. env('E2E_CLOSED_FILE')
local pass, fail = 0, 0
local t0 = vim.loop.hrtime()
local function check(name, ok, detail)
  if ok then pass = pass + 1 else fail = fail + 1 end
  local ms = math.floor((vim.loop.hrtime() - t0) / 1e6)
  io.stdout:write(('%s %s (%d ms)%s\n'):format(ok and 'PASS' or 'FAIL', name, ms, detail and (' -- ' .. tostring(detail)) or ''))
  t0 = vim.loop.hrtime()
end
local function has_code(list, code)
  for _, d in ipairs(list) do if d.code == code then return d end end
  return nil
end

local ok_all, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({ name = 'cmts', cmd = { 'node', server, '--stdio' }, root_dir = root })
  check('client started', id ~= nil)
  vim.lsp.buf_attach_client(buf, id)
  local c = vim.lsp.get_client_by_id(id)

  local got = vim.wait(15000, function() return has_code(vim.diagnostic.get(buf), 'unknown-step-type') ~= nil end, 25)
  local d = has_code(vim.diagnostic.get(buf), 'unknown-step-type')
  check('diagnostics with codes', got and d.source == 'cmts', got and (d.code .. ': ' .. d.message) or 'timeout')
  if not got then return end
  local href = d.user_data.lsp.codeDescription and d.user_data.lsp.codeDescription.href or ''
  check('docs link', href:find('docs/rules%.md#unknown%-step%-type$') ~= nil, href)
  local want = vim.split(env('E2E_TYPO_CODES'), ' ')
  local all = vim.wait(5000, function()
    for _, code in ipairs(want) do if not has_code(vim.diagnostic.get(buf), code) then return false end end
    return true
  end, 25)
  check('every expected code (' .. table.concat(want, ', ') .. ')', all, #vim.diagnostic.get(buf) .. ' diagnostics')

  local cbuf = vim.uri_to_bufnr(vim.uri_from_fname(closed))
  local code = env('E2E_CLOSED_CODE')
  local closed_ok = vim.wait(10000, function() return has_code(vim.diagnostic.get(cbuf), code) ~= nil end, 25)
  check('closed file ' .. env('E2E_CLOSED_FILE') .. ' has ' .. code, closed_ok)

  local tdi = { uri = vim.uri_from_bufnr(buf) }
  local hl = vim.fn.search(env('E2E_HOVER_NEEDLE'), 'nw')
  local hcol = vim.fn.getline(hl):find(env('E2E_HOVER_NEEDLE'), 1, true)
  local r = c.request_sync('textDocument/hover', { textDocument = tdi, position = { line = hl - 1, character = hcol + 2 } }, 5000, buf)
  local h = r and r.result and r.result.contents and r.result.contents.value or ''
  check('hover', h:find(env('E2E_HOVER_EXPECT'), 1, true) ~= nil, (h:gsub('\n.*', '')))

  local lsp_diag = {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity, message = d.message, source = d.source, code = d.code, data = d.user_data.lsp.data,
  }
  r = c.request_sync('textDocument/codeAction', { textDocument = tdi, range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } } }, 5000, buf)
  local action
  for _, a in ipairs(r and r.result or {}) do if a.title == env('E2E_FIX_TITLE') then action = a end end
  check('code action offered', action ~= nil and action.isPreferred, action and action.title)
  if not action then return end
  vim.lsp.util.apply_workspace_edit(action.edit, c.offset_encoding or 'utf-16')
  local fixed = env('E2E_FIX_TITLE'):gsub('^Change to ', '')
  local cleared = vim.wait(10000, function() return has_code(vim.diagnostic.get(buf), 'unknown-step-type') == nil end, 25)
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  check('quick fix applied and diagnostic cleared', cleared and line:find(fixed, 1, true) ~= nil, vim.trim(line))
  c.stop()
  vim.wait(3000, function() return c.is_stopped() end, 25)
end)
if not ok_all then check('no Lua error', false, err) end
io.stdout:write(('%d passed, %d failed\n'):format(pass, fail))
vim.cmd(fail == 0 and 'qall!' or 'cquit! 1')
