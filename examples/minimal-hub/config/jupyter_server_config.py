# Server settings baked into the single-user image.
c = get_config()  # noqa: F821
# Cull idle kernels after an hour so an abandoned notebook does not hold memory all night.
c.MappingKernelManager.cull_idle_timeout = 3600
c.MappingKernelManager.cull_interval = 300
