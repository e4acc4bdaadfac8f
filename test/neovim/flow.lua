-- Neovim 0.7 as a second real LSP client: start dist/server.js over stdio, open a services.d file of a
-- Kasm tree, wait for the diagnostics, ask for the code actions of a finding, apply its fix (the first
-- action: the rename is unsafe, so it is offered but not marked preferred),
-- write the file, and check that the server's next diagnostics no longer report it.
-- Inputs (environment): KASMLINT_SERVER, KASMLINT_ROOT (a Kasm tree copy), KASMLINT_FILE (in it).
-- Exit code 0 on success; `cquit 1` with a message on stderr otherwise.

local server = os.getenv('KASMLINT_SERVER')
local root = os.getenv('KASMLINT_ROOT')
local file = os.getenv('KASMLINT_FILE')

local function fail(message)
  io.stderr:write('FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function log(message)
  io.stdout:write(message .. '\n')
end

-- keep the raw publishDiagnostics params: 0.7's vim.diagnostic drops `code` and `data`
local published = {}
local handlers = {
  ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    published[result.uri] = result
    return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
  end,
}

local client_id = vim.lsp.start_client({
  name = 'kasmlint',
  cmd = { 'node', '--v8-pool-size=0', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'kasm' } },
  handlers = handlers,
})
if not client_id then fail('the server did not start') end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)
local uri = vim.uri_from_bufnr(bufnr)

local function wait_for(description, test)
  local ok = vim.wait(20000, test, 20)
  if not ok then fail('timed out waiting for ' .. description) end
end

local function finding(rule)
  local result = published[uri]
  if not result then return nil end
  for _, d in ipairs(result.diagnostics) do
    if d.code == rule then return d end
  end
  return nil
end

wait_for('a nginx/unknown-directive diagnostic', function() return finding('nginx/unknown-directive') ~= nil end)
local diagnostic = finding('nginx/unknown-directive')
log('diagnostic: ' .. diagnostic.message)

local client = vim.lsp.get_client_by_id(client_id)
local response = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = uri },
  range = diagnostic.range,
  context = { diagnostics = { diagnostic } },
}, 10000, bufnr)
if not response or response.err then fail('codeAction failed: ' .. vim.inspect(response)) end

local fix = (response.result or {})[1]
if not fix or not fix.edit then fail('no fix among the code actions: ' .. vim.inspect(response.result)) end
if fix.isPreferred then fail('an unsafe fix is marked preferred: ' .. fix.title) end
log('action: ' .. fix.title)

vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
vim.cmd('write')

wait_for('the diagnostic to disappear', function() return finding('nginx/unknown-directive') == nil end)
log('fixed: ' .. table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'):match('proxy_set_header X%-Real%-IP[^\n]*'))

vim.lsp.stop_client(client_id)
vim.cmd('qall!')
