"""Reference optimizer runs for TorchReferenceTest.

Reads {"cases": [...]} on stdin; each case names an optimizer, its NeMo-style args, the initial
weights, one list of gradients per step and one lr per step. Writes {case id: final weights}.
sgd, adam and adamw run torch.optim itself. NeMo is not installed, so novograd is written out
here from the update rule of nemo.core.optim.novograd, in float32 like the original.
"""
import json
import sys

import torch


def torch_optimizer(name, params, args, lr):
    kwargs = dict(args)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    kwargs.pop("lr")
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[name]
    return cls(params, lr=lr, **kwargs)


def run_torch(case, params):
    opt = torch_optimizer(case["optimizer"], params, case["args"], case["lrs"][0])
    for grads, lr in zip(case["grads"], case["lrs"]):
        for group in opt.param_groups:
            group["lr"] = lr
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float32).reshape(p.shape)
        opt.step()


@torch.no_grad()
def run_novograd(case, params):
    args = case["args"]
    beta1, beta2 = args.get("betas", (0.95, 0.98))
    eps = args.get("eps", 1e-8)
    weight_decay = args.get("weight_decay", 0.0)
    grad_averaging = args.get("grad_averaging", False)
    amsgrad = args.get("amsgrad", False)
    first = [torch.zeros_like(p) for p in params]
    second = [torch.zeros([]) for _ in params]
    second_max = [torch.zeros([]) for _ in params]
    for grads, lr in zip(case["grads"], case["lrs"]):
        for i, p in enumerate(params):
            g = torch.tensor(grads[i], dtype=torch.float32).reshape(p.shape)
            norm_sq = g.norm().pow(2)
            # The average starts at the norm itself while it is still exactly zero.
            if second[i] == 0:
                second[i] = norm_sq.clone()
            else:
                second[i] = second[i] * beta2 + norm_sq * (1 - beta2)
            scale = second[i]
            if amsgrad:
                second_max[i] = torch.maximum(second_max[i], second[i])
                scale = second_max[i]
            update = g / (scale.sqrt() + eps)
            if weight_decay != 0:
                update = update + weight_decay * p
            if grad_averaging:
                update = update * (1 - beta1)
            first[i] = first[i] * beta1 + update
            p.sub_(lr * first[i])


def main():
    out = {}
    for case in json.load(sys.stdin)["cases"]:
        params = [
            torch.tensor(w["data"], dtype=torch.float32).reshape(w["shape"]).requires_grad_()
            for w in case["weights"]
        ]
        if case["optimizer"] == "novograd":
            run_novograd(case, params)
        else:
            run_torch(case, params)
        out[case["id"]] = [p.detach().reshape(-1).tolist() for p in params]
    json.dump(out, sys.stdout)


main()
