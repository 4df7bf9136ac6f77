# Baked into the data100 single-user image at /etc/jupyter/jupyter_server_config.py by datahub:build-image.
c = get_config()  # noqa: F821 (Jupyter provides get_config when it loads this file)

# Stop a server nobody has used for an hour; the hub starts a fresh one on the next login.
c.ServerApp.shutdown_no_activity_timeout = 60 * 60
# Dotfiles (.bashrc, .config) stay out of the file browser.
c.ContentsManager.allow_hidden = False
