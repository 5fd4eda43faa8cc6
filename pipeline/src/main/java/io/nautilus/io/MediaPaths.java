package io.nautilus.io;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Resolves media paths written in manifests and keeps them inside the allowed roots.
 *
 * <p>NeMo resolves a relative {@code audio_filepath} against the manifest's own folder; we do the
 * same. The check is lexical ({@code ..} is folded before comparing), so a manifest cannot name a
 * file outside the roots with {@code ../} or an absolute path. With no roots configured, each
 * manifest's own folder is its only root.
 */
public final class MediaPaths implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private final List<String> roots;

  private MediaPaths(List<String> roots) {
    this.roots = roots;
  }

  /**
   * Roots as fully qualified locations (for example {@code file:/data}, {@code s3a://bucket/x}).
   */
  public static MediaPaths withRoots(List<String> qualifiedRoots) {
    List<String> normalized = new ArrayList<>();
    for (String root : qualifiedRoots) {
      normalized.add(asDirectory(normalize(root)));
    }
    return new MediaPaths(List.copyOf(normalized));
  }

  public List<String> roots() {
    return roots;
  }

  /**
   * The location a manifest entry names, resolved against the manifest's folder and normalized.
   *
   * @throws IllegalArgumentException with a user-facing reason when the path cannot be resolved
   */
  public static String resolve(String manifestDir, String ref) {
    Objects.requireNonNull(manifestDir, "manifestDir is null");
    if (ref == null || ref.isBlank()) {
      throw new IllegalArgumentException("the audio path is empty");
    }
    if (ref.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("the audio path contains a NUL character");
    }
    String joined;
    if (SCHEME.matcher(ref).matches() && !ref.startsWith("/")) {
      joined = ref;
    } else if (ref.startsWith("/")) {
      joined = schemeAndAuthority(manifestDir) + ref;
    } else {
      joined = asDirectory(manifestDir) + ref;
    }
    return normalize(joined);
  }

  /** True when {@code resolved} lies inside one of the roots, or inside manifestDir if none. */
  public boolean isAllowed(String resolved, String manifestDir) {
    if (resolved.contains("/../") || resolved.endsWith("/..")) {
      return false;
    }
    List<String> effective = roots.isEmpty() ? List.of(asDirectory(normalize(manifestDir))) : roots;
    for (String root : effective) {
      if (resolved.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  public List<String> effectiveRoots(String manifestDir) {
    return roots.isEmpty() ? List.of(asDirectory(normalize(manifestDir))) : roots;
  }

  /** Folds {@code .} and {@code ..} segments; a {@code ..} that climbs above the root is kept. */
  static String normalize(String location) {
    String prefix = schemeAndAuthority(location);
    String path = location.substring(prefix.length());
    if (prefix.isEmpty() && !path.startsWith("/")) {
      throw new IllegalArgumentException("the location " + location + " is not absolute");
    }
    Deque<String> parts = new ArrayDeque<>();
    boolean escaped = false;
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (parts.isEmpty()) {
          escaped = true;
        } else {
          parts.removeLast();
        }
        continue;
      }
      parts.addLast(seg);
    }
    StringBuilder sb = new StringBuilder(prefix);
    if (escaped) {
      sb.append("/..");
    }
    for (String p : parts) {
      sb.append('/').append(p);
    }
    if (parts.isEmpty() && !escaped) {
      sb.append('/');
    }
    return sb.toString();
  }

  /** {@code hdfs://nn:8020}, {@code file:} or {@code ""} for a bare absolute path. */
  static String schemeAndAuthority(String location) {
    if (!SCHEME.matcher(location).matches() || location.startsWith("/")) {
      return "";
    }
    try {
      URI uri = new URI(location.replace(" ", "%20"));
      String scheme = uri.getScheme();
      String authority = uri.getRawAuthority();
      if (authority != null && !authority.isEmpty()) {
        return scheme + "://" + authority;
      }
      // file:///x and file:/x are the same location; keep one spelling so prefixes compare.
      return scheme + ":";
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the location " + location + " is not a valid URI", e);
    }
  }

  private static String asDirectory(String location) {
    return location.endsWith("/") ? location : location + "/";
  }
}
