/**
 * Job configuration: NeMo-shaped YAML (as Hydra/OmegaConf read it), dotted command-line overrides
 * and {@code ${...}} interpolation, checked against a schema declared in Java.
 *
 * <p>Every problem a user can cause (unknown key, missing {@code ???} value, wrong type, broken
 * YAML, bad override) is reported at load time, before any work starts, as one {@link
 * io.nautilus.config.ConfigException} line naming the full dotted key and where the value came
 * from. Values of keys that look like credentials are never echoed back.
 *
 * <p>Entry points: {@link io.nautilus.config.ConfigSchema#builder()} and {@link
 * io.nautilus.config.ConfigLoader}. Sections that code takes apart itself, from a plain map (the
 * model, preprocessor, optimizer and schedule sections), are read with {@link
 * io.nautilus.config.ArgMap}.
 */
package io.nautilus.config;
