/**
 * The text side of speech recognition, free of any deep-learning framework: the character tokenizer
 * built from a config's {@code labels}, CTC decoding (greedy, as NeMo does it, and a prefix beam
 * search without a language model), and word / character error rates with NeMo's corpus-level
 * definitions.
 *
 * <p>The CTC blank is always the last index, {@code labels.size()}, as in NeMo's char models.
 */
package io.nautilus.asr.text;
