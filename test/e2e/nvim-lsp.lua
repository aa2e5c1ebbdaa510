-- Neovim 0.7 (Debian bookworm) driving the cmts server over stdio with its built-in client
-- (vim.lsp.start_client; vim.lsp.start is 0.8+). Checks: diagnostics arrive with their codes
-- and docs links, a closed file of the workspace gets its diagnostics too, hover answers,
-- completion inside type=" lists step types, the outline nests steps in groups, definition and
-- references of a content ID reach the site description, the editing features answer (format,
-- rename, highlight, semantic tokens, workspace symbols, code lens, call hierarchy, inlay hints),
-- the unknown-step-type quick fix applies and the diagnostic clears; a smsts.log attached with
-- cmts/attachLog marks the failed step and its code-lens step labels give outcomes and durations.
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

  -- Completion inside type=" lists the step types, each with its display name.
  local tneedle = 'type="' .. env('E2E_HOVER_NEEDLE')
  local tl = vim.fn.search(tneedle, 'nw')
  local tcol = vim.fn.getline(tl):find(tneedle, 1, true) - 1 + #'type="'
  r = c.request_sync('textDocument/completion', { textDocument = tdi, position = { line = tl - 1, character = tcol } }, 5000, buf)
  local items = r and r.result and (r.result.items or r.result) or {}
  local types, named = 0, false
  for _, it in ipairs(items) do
    if it.label:match('^SMS_TaskSequence_%w+Action$') then types = types + 1 end
    if it.label == env('E2E_HOVER_NEEDLE') and (it.detail or ''):find(env('E2E_HOVER_EXPECT'), 1, true) then named = true end
  end
  check('completion inside type=" lists step types', types >= 30 and named, types .. ' step types of ' .. #items .. ' items')

  -- The outline: the first group with its first step nested under it.
  r = c.request_sync('textDocument/documentSymbol', { textDocument = tdi }, 5000, buf)
  local group, step_name
  local function walk(list)
    for _, sym in ipairs(list or {}) do
      if sym.name == env('E2E_OUTLINE_GROUP') and not group then
        group = sym
        step_name = sym.children and sym.children[1] and sym.children[1].name
      end
      walk(sym.children)
    end
  end
  walk(r and r.result)
  check('outline lists the group and its first step', group ~= nil and step_name == env('E2E_OUTLINE_STEP'), step_name)

  -- Go to definition from a content ID lands on its entry in the site description.
  local id = env('E2E_CONTENT_ID')
  local il = vim.fn.search('package="' .. id .. '"', 'nw')
  local icol = vim.fn.getline(il):find(id, 1, true)
  r = c.request_sync('textDocument/definition', { textDocument = tdi, position = { line = il - 1, character = icol } }, 5000, buf)
  local locs = r and r.result or {}
  if locs.uri then locs = { locs } end
  local site_uri = vim.uri_from_fname(root .. '/' .. env('E2E_SITE_FILE'))
  local at = ''
  if locs[1] and locs[1].uri == site_uri then
    local site_lines = vim.fn.readfile(root .. '/' .. env('E2E_SITE_FILE'))
    local rg = locs[1].range
    at = site_lines[rg.start.line + 1]:sub(rg.start.character + 1, rg['end'].character)
  end
  check('definition of ' .. id .. ' is its site description entry', at == id, locs[1] and (locs[1].uri .. ' ' .. at) or 'no location')

  -- Find references of that ID: every sequence that names it, and the site description.
  r = c.request_sync('textDocument/references', { textDocument = tdi, position = { line = il - 1, character = icol }, context = { includeDeclaration = true } }, 10000, buf)
  local files = {}
  for _, l in ipairs(r and r.result or {}) do files[l.uri] = true end
  local nfiles = 0
  for _ in pairs(files) do nfiles = nfiles + 1 end
  check('references of ' .. id .. ' span the sequences and the site file', files[site_uri] and files[tdi.uri] and nfiles >= 3, nfiles .. ' files')

  -- The editing features (issue 19), over stdio like everything above.
  local caps = c.server_capabilities or c.resolved_capabilities or {}
  r = c.request_sync('textDocument/formatting', { textDocument = tdi, options = { tabSize = 2, insertSpaces = true } }, 5000, buf)
  local fmt_ok = r and r.err == nil and type(r.result or {}) == 'table'
  if fmt_ok and r.result and #r.result > 0 then
    vim.lsp.util.apply_text_edits(r.result, buf, c.offset_encoding or 'utf-16')
    local again = c.request_sync('textDocument/formatting', { textDocument = tdi, options = { tabSize = 2, insertSpaces = true } }, 5000, buf)
    fmt_ok = again and again.result ~= nil and #again.result == 0
  end
  check('format document (a second format changes nothing)', fmt_ok, r and r.result and (#r.result .. ' edits') or (r and vim.inspect(r.err)))
  il = vim.fn.search('package="' .. id .. '"', 'nw')
  icol = vim.fn.getline(il):find(id, 1, true)
  r = c.request_sync('textDocument/prepareRename', { textDocument = tdi, position = { line = il - 1, character = icol } }, 5000, buf)
  check('prepare rename of ' .. id, r and r.result and r.result.placeholder == id, r and vim.inspect(r.result or r.err))
  r = c.request_sync('textDocument/rename', { textDocument = tdi, position = { line = il - 1, character = icol }, newName = id }, 10000, buf)
  local renamed = r and r.result and r.result.changes or {}
  check('rename of ' .. id .. ' edits the site description too', renamed[site_uri] ~= nil and renamed[tdi.uri] ~= nil, vim.inspect(vim.tbl_keys(renamed)))
  r = c.request_sync('textDocument/documentHighlight', { textDocument = tdi, position = { line = il - 1, character = icol } }, 5000, buf)
  check('document highlight of ' .. id, r and r.result and #r.result >= 1, r and r.result and #r.result)
  r = c.request_sync('textDocument/semanticTokens/full', { textDocument = tdi }, 5000, buf)
  local data = r and r.result and r.result.data or {}
  check('semantic tokens', #data >= 5 and #data % 5 == 0 and caps.semanticTokensProvider ~= nil, #data / 5 .. ' tokens')
  local step_label = env('E2E_OUTLINE_STEP'):gsub('^%d+%. ', '')
  r = c.request_sync('workspace/symbol', { query = step_label }, 10000, buf)
  local found = false
  for _, sym in ipairs(r and r.result or {}) do if sym.name == env('E2E_OUTLINE_STEP') then found = true end end
  check('workspace symbol "' .. step_label .. '"', found, r and r.result and #r.result)
  r = c.request_sync('textDocument/codeLens', { textDocument = tdi }, 10000, buf)
  check('code lens answers', r and r.err == nil and type(r.result or {}) == 'table', r and r.result and #r.result)
  -- Neovim 0.7 announces no inlay hints: the step labels (number and run context) come as code lens.
  local lens_label
  for _, l in ipairs(r and r.result or {}) do
    local t = l.command and l.command.title or ''
    if t:match('^#%d+ · ') then lens_label = lens_label or t end
  end
  check('code lens numbers the steps (no inlay hints in this client)', lens_label ~= nil, lens_label)
  r = c.request_sync('textDocument/prepareCallHierarchy', { textDocument = tdi, position = { line = 0, character = 1 } }, 10000, buf)
  check('call hierarchy item for the sequence', r and r.result and r.result[1] and r.result[1].uri == tdi.uri, r and r.result and r.result[1] and r.result[1].name)
  r = c.request_sync('textDocument/inlayHint', { textDocument = tdi, range = { start = { line = 0, character = 0 }, ['end'] = { line = vim.api.nvim_buf_line_count(buf), character = 0 } } }, 5000, buf)
  local numbered = false
  for _, h in ipairs(r and r.result or {}) do if type(h.label) == 'string' and h.label:match('^#%d+ · ') then numbered = true end end
  check('inlay hints number the steps', numbered, r and r.result and #r.result)
  -- Formatting may have moved the diagnostic: take it again.
  vim.wait(5000, function() return has_code(vim.diagnostic.get(buf), 'unknown-step-type') ~= nil end, 25)
  d = has_code(vim.diagnostic.get(buf), 'unknown-step-type') or d

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

  -- smsts.log against the sequence (issue 18), as any LSP editor can: cmts/attachLog with the log
  -- fixtures' sequence and a failed run, copied in now (no earlier check sees them).
  local logdir = root .. '/zz-log'
  vim.fn.mkdir(logdir, 'p')
  local fx = vim.fn.getcwd() .. '/test/fixtures/log/'
  for _, f in ipairs({ 'deploy.xml', 'child.xml', 'configmgr-site.json', 'failed.log' }) do
    vim.fn.writefile(vim.fn.readfile(fx .. f, 'b'), logdir .. '/' .. f, 'b')
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(logdir .. '/deploy.xml'))
  local lbuf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(lbuf, c.id)
  local luri = vim.uri_from_bufnr(lbuf)
  r = c.request_sync('cmts/attachLog', { sequenceUri = luri, logUris = { vim.uri_from_fname(logdir .. '/failed.log') } }, 15000, lbuf)
  check('cmts/attachLog reads the log against the sequence', r and r.result and r.result.attached and r.result.failures == 1, r and vim.inspect(r.result or r.err):gsub('%s+', ' '))
  local function log_diag()
    for _, x in ipairs(vim.diagnostic.get(lbuf)) do if x.source == 'smsts.log' then return x end end
    return nil
  end
  vim.wait(10000, function() return log_diag() ~= nil end, 25)
  local fd = log_diag()
  local fline = fd and vim.api.nvim_buf_get_lines(lbuf, fd.lnum, fd.lnum + 1, false)[1] or ''
  check('the failed step gets a smsts.log diagnostic with its exit code', fd ~= nil and fd.code == '1603' and fline:find('Install Required App', 1, true) ~= nil, fd and (fd.code .. ': ' .. fd.message:gsub('\n.*', '')))
  r = c.request_sync('textDocument/codeLens', { textDocument = { uri = luri } }, 10000, lbuf)
  local lens
  for _, l in ipairs(r and r.result or {}) do
    local t = l.command and l.command.title or ''
    if t:find('Windows PE · 30s', 1, true) or t:find('failed 2m 00s', 1, true) then lens = (lens and (lens .. '; ') or '') .. t end
  end
  check('the step labels give each step\'s outcome and duration', lens == '#6 · Windows PE · 30s; #11 · full OS · failed 2m 00s', lens)
  c.stop()
  vim.wait(3000, function() return c.is_stopped() end, 25)
end)
if not ok_all then check('no Lua error', false, err) end
io.stdout:write(('%d passed, %d failed\n'):format(pass, fail))
vim.cmd(fail == 0 and 'qall!' or 'cquit! 1')
