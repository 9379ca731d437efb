;; The Emacs setup of docs/editors.md, word for word: eglot starts `studyrnn lsp' for
;; markdown-mode buffers.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(markdown-mode . ("studyrnn" "lsp"))))
(add-hook 'markdown-mode-hook #'eglot-ensure)
