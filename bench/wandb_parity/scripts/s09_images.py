import numpy as np
import wandb
from PIL import Image

run = wandb.init(project="parity")
arr = (np.arange(32 * 32 * 3) % 255).astype(np.uint8).reshape(32, 32, 3)
mask = np.zeros((32, 32), dtype=np.uint8)
mask[8:16, 8:16] = 1
boxes = {
    "predictions": {
        "box_data": [
            {
                "position": {"minX": 0.1, "maxX": 0.5, "minY": 0.1, "maxY": 0.5},
                "class_id": 1,
                "box_caption": "cat",
                "scores": {"acc": 0.9},
            }
        ],
        "class_labels": {1: "cat"},
    }
}
wandb.log(
    {
        "np_image": wandb.Image(arr, caption="numpy"),
        "pil_image": wandb.Image(Image.fromarray(arr), caption="pil"),
        "float_image": wandb.Image(np.random.default_rng(0).random((16, 16))),
        "masked": wandb.Image(
            arr,
            masks={"pred": {"mask_data": mask, "class_labels": {0: "bg", 1: "obj"}}},
        ),
        "boxed": wandb.Image(arr, boxes=boxes),
    }
)
run.finish()
