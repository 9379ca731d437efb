;;; Emacs in batch mode with eglot and flymake, driving `studyrnn lsp' as an editor does.
;;; Loads the setup of docs/editors.md (init.el beside this file), opens a deck with an
;;; unterminated fence, records flymake's diagnostics, closes the fence by editing the buffer,
;;; and records them again. The deck and the output file come from the environment.

(package-initialize)  ; an interactive Emacs activates the installed packages itself
(load (expand-file-name "init.el" (file-name-directory load-file-name)) nil t)
(defvar studyrnn-out (getenv "STUDYRNN_EMACS_OUT"))

(defun studyrnn-record (label)
  (with-temp-buffer
    (let ((found (with-current-buffer (get-file-buffer (getenv "STUDYRNN_DECK_FILE"))
                   (mapcar (lambda (d)
                             (list (line-number-at-pos (flymake-diagnostic-beg d))
                                   (flymake-diagnostic-type d)
                                   (flymake-diagnostic-text d)))
                           (flymake-diagnostics)))))
      (dolist (d found)
        (insert (format "%s %d %s %s\n" label (nth 0 d) (nth 1 d) (nth 2 d))))
      (insert (format "%s count %d\n" label (length found)))
      (append-to-file (point-min) (point-max) studyrnn-out))))

(find-file (getenv "STUDYRNN_DECK_FILE"))
(run-hooks 'post-command-hook)  ; eglot-ensure connects after the next command
(with-timeout (60 nil)
  (while (null (flymake-diagnostics)) (accept-process-output nil 0.05)))
(studyrnn-record "open")
;; the fence opens on line 4 and its code is line 5: close it on line 6
(goto-char (point-min))
(forward-line 5)
(insert "```\n")
;; batch mode never goes idle: do what eglot's and flymake's idle timers would
(eglot--signal-textDocument/didChange)
(with-timeout (60 nil)
  (while (flymake-diagnostics) (accept-process-output nil 0.05) (flymake-start)))
(studyrnn-record "fixed")
(set-buffer-modified-p nil)
(kill-emacs 0)
