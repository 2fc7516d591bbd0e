"""Floor 3, system metrics: the probes (psutil, NVML) and the monitor thread writing system.sglog.

Imports the store and the base; a sibling of rows and charts (none imports another).
"""
