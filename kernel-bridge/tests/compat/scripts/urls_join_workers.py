"""run URLs, wandb.join and a multiprocessing pool whose workers start runs, read sweep_url and fail."""

import multiprocessing

import spyglass as wandb


def work(task):
    run = wandb.init(project="compat", name=f"worker-{task}", reinit=True)
    run.log({"task": task})
    if task == 2:
        raise ValueError(f"task {task} failed")
    url = run.sweep_url
    wandb.finish()
    return url


if __name__ == "__main__":
    run = wandb.init(project="compat", name="parent")
    print(run.url == run.get_url(), run.project_url == run.get_project_url(), run.sweep_url)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = [pool.apply_async(work, (task,)) for task in range(3)]
        for result in results:
            try:
                print("worker", result.get(timeout=60))
            except ValueError as error:
                print("worker failed:", error)
    wandb.log({"workers": 3})
    wandb.join()
