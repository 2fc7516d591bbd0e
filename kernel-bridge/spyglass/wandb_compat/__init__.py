"""`spyglass wandb-compat install`: a `wandb` package that is Spyglass, for code that imports wandb itself.

`surface` is what `import wandb` gives, `internals` the wandb-internal names framework loggers import,
`shim_files` the package and dist-info written into site-packages, `installer` install/uninstall/status.
Nothing here is imported by `import spyglass`.
"""
