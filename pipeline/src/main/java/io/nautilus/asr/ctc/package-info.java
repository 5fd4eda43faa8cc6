/**
 * Connectionist temporal classification (CTC) loss in DJL NDArray ops, as NeMo's CTC models use it:
 * the forward (alpha) recursion in log space, differentiated by PyTorch autograd.
 */
package io.nautilus.asr.ctc;
