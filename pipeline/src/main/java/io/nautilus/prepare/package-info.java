/**
 * The {@code prepare} job: NeMo-style JSONL manifests in; validated, normalised, filtered and
 * counted records out, with every rejected line kept beside a reason.
 *
 * <p>Stages: {@link io.nautilus.prepare.ManifestLines} (numbered lines), {@link
 * io.nautilus.prepare.RecordChecks} (Spark SQL built-ins only, so the plan stays eligible for the
 * RAPIDS GPU plugin), {@link io.nautilus.prepare.MediaProbe} (a mapPartitions stage that opens and
 * decodes media), then text normalisation, filters and duplicates, again in Spark SQL.
 */
package io.nautilus.prepare;
