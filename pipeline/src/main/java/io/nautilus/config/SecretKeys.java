package io.nautilus.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Decides which keys hold credentials, whose values are never printed. */
final class SecretKeys {
  static final String MASK = "*****";

  private static final List<String> SECRET_PARTS =
      List.of(
          "secret",
          "password",
          "passwd",
          "passphrase",
          "accesskey",
          "apikey",
          "privatekey",
          "credential");

  /**
   * Tokenizers have special-token keys ({@code pad_token}, {@code eos_token}, ...) whose values are
   * vocabulary entries, not credentials; masking them would corrupt every written config.
   */
  private static final Set<String> SPECIAL_TOKEN_WORDS =
      Set.of("pad", "bos", "eos", "sep", "cls", "mask", "unk", "start", "end", "special");

  private SecretKeys() {}

  /**
   * True for a key whose last segment names a credential: it contains "secret", "password",
   * "access_key" and the like, or has the word "token". Also true for the Hadoop style where the
   * credential is spread over the last two segments ({@code fs.s3a.access.key}, {@code
   * fs.s3a.secret.key}).
   */
  static boolean isSecret(String key) {
    String[] segments = key.split("\\.");
    String last = segments[segments.length - 1];
    List<String> words = words(last);
    String compact = String.join("", words);
    for (String part : SECRET_PARTS) {
      if (compact.contains(part)) {
        return true;
      }
    }
    int token = words.lastIndexOf("token");
    if (token >= 0 && (token == 0 || !SPECIAL_TOKEN_WORDS.contains(words.get(token - 1)))) {
      return true;
    }
    if (segments.length >= 2 && last.equalsIgnoreCase("key")) {
      List<String> previous = words(segments[segments.length - 2]);
      String word = previous.isEmpty() ? "" : previous.get(previous.size() - 1);
      return word.equals("access") || word.equals("secret") || word.equals("private");
    }
    return false;
  }

  /** Splits {@code hfAuthToken}, {@code hf_auth-token} into lower-case words. */
  private static List<String> words(String segment) {
    String spaced = segment.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return List.of(spaced.split("[_\\-\\s]+")).stream().filter(w -> !w.isEmpty()).toList();
  }
}
