" Vim 9 + Debian's ALE 3.3 driving the cmts server over stdio. Checks: diagnostics arrive with
" their codes, hover answers, the unknown-step-type quick fix applies and the diagnostic clears.
" Run: vim -N -u NONE -i NONE -n -es -S test/e2e/ale.vim </dev/null | cat
" Env: SERVER_JS, WS_ROOT and the E2E_* variables of test/e2e/plan.ts.
set nocompatible
set runtimepath^=/usr/share/vim-ale
filetype plugin on
let g:ale_enabled = 1
let g:ale_linters = {'xml': ['cmts']}
let g:ale_lint_on_text_changed = 'always'
let g:ale_lint_delay = 0
let g:ale_hover_to_preview = 1
runtime plugin/ale.vim
call ale#linter#Define('xml', {
\   'name': 'cmts',
\   'lsp': 'stdio',
\   'executable': 'node',
\   'command': 'node ' . shellescape($SERVER_JS) . ' --stdio',
\   'project_root': {b -> $WS_ROOT},
\})

let s:pass = 0
let s:fail = 0
let s:t0 = reltime()
function! s:Check(name, ok, detail) abort
  if a:ok | let s:pass += 1 | else | let s:fail += 1 | endif
  let l:ms = float2nr(reltimefloat(reltime(s:t0)) * 1000)
  call writefile([(a:ok ? 'PASS ' : 'FAIL ') . a:name . ' (' . l:ms . ' ms) -- ' . a:detail], '/dev/stdout', 'a')
  let s:t0 = reltime()
endfunction
" Polls an expression for at most a:ms milliseconds (ALE's jobs run while Vim sleeps).
function! s:Wait(expr, ms) abort
  let l:start = reltime()
  while !eval(a:expr) && reltimefloat(reltime(l:start)) * 1000 < a:ms
    sleep 20m
  endwhile
  return eval(a:expr)
endfunction
function! s:WithCode(code) abort
  return filter(copy(ale#engine#GetLoclist(bufnr(''))), {_, v -> get(v, 'code', '') is# a:code})
endfunction

try
  execute 'edit ' . fnameescape($WS_ROOT . '/' . $E2E_TYPO_FILE)
  ALELint
  let s:ok = s:Wait('!empty(s:WithCode("unknown-step-type"))', 15000)
  let s:d = s:ok ? s:WithCode('unknown-step-type')[0] : {}
  call s:Check('diagnostics with codes', s:ok, s:ok ? s:d.lnum . ':' . s:d.col . ' ' . s:d.code . ': ' . s:d.text : 'timeout')
  let s:want = split($E2E_TYPO_CODES, ' ')
  call s:Check('every expected code (' . join(s:want, ', ') . ')',
  \ s:Wait('empty(filter(copy(s:want), {_, c -> empty(s:WithCode(c))}))', 5000), len(ale#engine#GetLoclist(bufnr(''))) . ' diagnostics')

  call cursor(search($E2E_HOVER_NEEDLE, 'nw'), 1)
  call search($E2E_HOVER_NEEDLE, 'c', line('.'))
  normal! 3l
  let g:e2e_hover = ''
  call ale#hover#ShowAtCursor()
  call s:Wait('!empty(filter(range(1, bufnr("$")), {_, b -> getbufvar(b, "&filetype") is# "ale-preview.message"}))', 5000)
  for s:b in range(1, bufnr('$'))
    if getbufvar(s:b, '&filetype') is# 'ale-preview.message'
      let g:e2e_hover = join(getbufline(s:b, 1, '$'), ' ')
    endif
  endfor
  call s:Check('hover', stridx(g:e2e_hover, $E2E_HOVER_EXPECT) >= 0, g:e2e_hover[:100])
  pclose

  call cursor(str2nr($E2E_TYPO_LINE), str2nr($E2E_TYPO_COL) + 3)
  let g:e2e_actions = v:null
  function! E2eMenu(data, items) abort
    let g:e2e_data = a:data
    let g:e2e_actions = a:items
  endfunction
  call ale#codefix#Execute(0, function('E2eMenu'))
  call s:Wait('g:e2e_actions isnot v:null', 5000)
  let s:actions = g:e2e_actions is v:null ? [] : g:e2e_actions
  let s:titles = map(copy(s:actions), 'v:val[1].title')
  let s:i = index(s:titles, $E2E_FIX_TITLE)
  call s:Check('code action offered', s:i >= 0, string(s:titles))
  if s:i >= 0
    call ale#codefix#ApplyLSPCodeAction(g:e2e_data, s:actions[s:i][1])
  endif
  ALELint
  let s:fixed = substitute($E2E_FIX_TITLE, '^Change to ', '', '')
  let s:cleared = s:Wait('stridx(getline(' . $E2E_TYPO_LINE . '), s:fixed) >= 0 && empty(s:WithCode("unknown-step-type"))', 10000)
  call s:Check('quick fix applied and diagnostic cleared', s:cleared, trim(getline(str2nr($E2E_TYPO_LINE))))
catch
  call s:Check('no Vim error', 0, v:exception . ' at ' . v:throwpoint)
endtry
call writefile([s:pass . ' passed, ' . s:fail . ' failed'], '/dev/stdout', 'a')
execute (s:fail == 0 ? 'qall!' : 'cquit!')
