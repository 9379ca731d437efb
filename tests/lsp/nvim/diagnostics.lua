-- Headless Neovim with its built-in LSP client, driving `studyrnn lsp` as an editor does.
-- Opens a deck with an unterminated fence, records the diagnostics from vim.diagnostic.get(),
-- closes the fence by editing the buffer, and records them again. Arguments come from the
-- environment: the Python, the deck folder, the deck file, the repository and the output.
local python = os.getenv("STUDYRNN_PYTHON")
local decks = os.getenv("STUDYRNN_DECKS_DIR")
local out = io.open(os.getenv("STUDYRNN_NVIM_OUT"), "w")

local client_id = vim.lsp.start_client({
  cmd = { python, "-c", "from studyrnn.cli import main; main()", "--decks", decks, "lsp" },
  cmd_env = { PYTHONPATH = os.getenv("STUDYRNN_REPO") },
  root_dir = decks,
})
vim.cmd("edit " .. os.getenv("STUDYRNN_DECK_FILE"))
vim.lsp.buf_attach_client(0, client_id)

local function record(label)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    out:write(string.format("%s %d %s %s\n", label, d.lnum, d.code or "", d.message))
  end
  out:write(label .. " count " .. #vim.diagnostic.get(0) .. "\n")
end

vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
record("open")
-- the fence opens on 0-based line 3 and its code is line 4: close it on line 5
vim.api.nvim_buf_set_lines(0, 5, 5, false, { "```" })
vim.wait(30000, function() return #vim.diagnostic.get(0) == 0 end, 50)
record("fixed")
out:close()
vim.lsp.stop_client(client_id)
vim.cmd("qa!")
