/**
 * The {@code evaluate} job (distributed batch inference with NeMo's WER and CER, one model per
 * partition) and {@code transcribe} (a model on local files, no Spark).
 */
package io.nautilus.asr.eval;
