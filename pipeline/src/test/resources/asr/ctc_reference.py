"""Reference CTC losses for CtcLossTorchTest.

Reads {"cases": [...]} on stdin; each case holds float32 logits (B, T, V) flattened, the lengths,
padded (B, S) targets and the blank. For every reduction and zero_infinity setting it runs
log_softmax then torch.nn.functional.ctc_loss (which wants (T, B, V)) and back-propagates to the
logits: PyTorch's ctc backward hands the logits' gradient to log_probs, so only the logits'
gradient is comparable. 'none' back-propagates the sum; NeMo's mean_batch and mean_volume are
written out from reduction='none' as NeMo's CTCLoss does. Writes {"id|reduction|zi": {loss, grad}}.
"""
import json
import sys

import torch
import torch.nn.functional as F


def run(case, reduction, zero_infinity):
    b, t, v = case["shape"]
    logits = torch.tensor(case["logits"], dtype=torch.float32).reshape(b, t, v).requires_grad_()
    targets = torch.tensor(case["targets"], dtype=torch.long).reshape(b, -1)
    input_lengths = torch.tensor(case["inputLengths"], dtype=torch.long)
    target_lengths = torch.tensor(case["targetLengths"], dtype=torch.long)
    log_probs = logits.log_softmax(2).transpose(0, 1)
    torch_reduction = reduction if reduction in ("none", "sum", "mean") else "none"
    loss = F.ctc_loss(
        log_probs,
        targets,
        input_lengths,
        target_lengths,
        blank=case["blank"],
        reduction=torch_reduction,
        zero_infinity=zero_infinity,
    )
    if reduction == "mean_batch":
        loss = loss.mean()
    elif reduction == "mean_volume":
        loss = loss.sum() / target_lengths.sum().clamp_min(1)
    loss.sum().backward()
    return {
        "loss": loss.detach().reshape(-1).tolist(),
        "grad": logits.grad.reshape(-1).tolist(),
    }


def main():
    request = json.load(sys.stdin)
    out = {}
    for case in request["cases"]:
        for reduction in ("none", "sum", "mean_batch", "mean", "mean_volume"):
            for zero_infinity in (False, True):
                key = "%s|%s|%s" % (case["id"], reduction, str(zero_infinity).lower())
                out[key] = run(case, reduction, zero_infinity)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
