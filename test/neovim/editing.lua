-- Neovim 0.7 formatting and renaming through kasmlint's server: open a messy services.d file of a Kasm
-- tree, format it (vim.lsp.buf.formatting_sync), write it; then rename the upstream its proxy_pass
-- names, apply the workspace edit to every file it touches, and write them all.
-- Inputs (environment): KASMLINT_SERVER, KASMLINT_ROOT (a Kasm tree copy), KASMLINT_FILE (a services.d
-- file in it), KASMLINT_UPSTREAM (the upstream to rename), KASMLINT_NEW_NAME.
-- Exit code 0 on success; `cquit 1` with a message on stderr otherwise.

local server = os.getenv('KASMLINT_SERVER')
local root = os.getenv('KASMLINT_ROOT')
local file = os.getenv('KASMLINT_FILE')
local upstream = os.getenv('KASMLINT_UPSTREAM')
local new_name = os.getenv('KASMLINT_NEW_NAME')

local function fail(message)
  io.stderr:write('FAIL: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function log(message)
  io.stdout:write(message .. '\n')
end

local client_id = vim.lsp.start_client({
  name = 'kasmlint',
  cmd = { 'node', '--v8-pool-size=0', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'kasm' } },
})
if not client_id then fail('the server did not start') end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
vim.bo.expandtab = true
vim.bo.shiftwidth = 4
vim.bo.tabstop = 4
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(20000, function()
  local client = vim.lsp.get_client_by_id(client_id)
  return client ~= nil and client.initialized and client.resolved_capabilities.document_formatting
end, 20)
if not ok then fail('the server did not offer formatting') end
local client = vim.lsp.get_client_by_id(client_id)

vim.lsp.buf.formatting_sync(nil, 10000)
vim.cmd('write')
log('formatted: ' .. #vim.api.nvim_buf_get_lines(bufnr, 0, -1, false) .. ' lines')

-- the cursor on the upstream's name in proxy_pass
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local position = nil
for i, line in ipairs(lines) do
  local column = line:find('//' .. upstream, 1, true)
  if column then position = { line = i - 1, character = column + 1 } end
end
if not position then fail('no proxy_pass names ' .. upstream) end

local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = position }
local prepared = client.request_sync('textDocument/prepareRename', params, 10000, bufnr)
if not prepared or prepared.err or not prepared.result then fail('prepareRename failed: ' .. vim.inspect(prepared)) end
log('prepareRename: ' .. prepared.result.placeholder)

params.newName = new_name
local response = client.request_sync('textDocument/rename', params, 10000, bufnr)
if not response or response.err then fail('rename failed: ' .. vim.inspect(response)) end
vim.lsp.util.apply_workspace_edit(response.result, client.offset_encoding)
-- 0.7 does not announce documentChanges: the edit comes as `changes`, by URI
local files = #(response.result.documentChanges or {}) + vim.tbl_count(response.result.changes or {})
log('renamed in ' .. files .. ' files')
vim.cmd('wall')

vim.lsp.stop_client(client_id)
vim.cmd('qall!')
