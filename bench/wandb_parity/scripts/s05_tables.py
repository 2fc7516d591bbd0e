import pandas as pd
import wandb

run = wandb.init(project="parity")
df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 0.25, 0.125], "c": ["x", "y", "z"]})
t1 = wandb.Table(dataframe=df)
t2 = wandb.Table(columns=["step", "value"], data=[[0, 1.0], [1, 2.0]])
t2.add_data(2, 3.0)
t2.add_column("double", [2.0, 4.0, 6.0])
col = t2.get_column("value")
assert list(col) == [1.0, 2.0, 3.0], col
t3 = wandb.Table(columns=["x"])
for i in range(3):
    t3.add_data(i)
run.log({"df_table": t1, "table": t2, "built": t3, "n": len(t2.data)})
run.finish()
