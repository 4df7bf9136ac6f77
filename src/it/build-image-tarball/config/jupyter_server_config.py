c.ServerApp.shutdown_no_activity_timeout = 3600
