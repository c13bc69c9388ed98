package io.hps.space;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A program and its arguments with {@code {name}} placeholders for parameters ({@code "--lr", "{lr}"} or
 * {@code "--lr={lr}"}); {@code {{} and {@code }}} stand for literal braces. Numbers are written as JSON writes
 * them ({@code 100}, {@code 0.05}, {@code 1.0E-4}), strings as they are.
 */
public record CommandTemplate(List<String> words) {
  public CommandTemplate {
    words = List.copyOf(words);
    for (String word : words) {
      names(word); // fails on an unclosed brace
    }
  }

  /** The parameter names the placeholders use, in order of first use. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    words.forEach(w -> names.addAll(names(w)));
    return names;
  }

  /** The command for one setting; a placeholder naming no parameter of it is an error that lists them. */
  public List<String> expand(Params params) {
    List<String> out = new ArrayList<>();
    for (String word : words) {
      StringBuilder text = new StringBuilder();
      scan(word, text, name -> {
        if (!params.has(name)) {
          throw new IllegalArgumentException("the command's placeholder {" + name + "} names no parameter of this"
              + " setting (it has " + params.values().keySet() + ")");
        }
        Object value = params.get(name);
        return value instanceof String s ? s : String.valueOf(value);
      });
      out.add(text.toString());
    }
    return out;
  }

  private static Set<String> names(String word) {
    Set<String> names = new LinkedHashSet<>();
    scan(word, new StringBuilder(), name -> {
      names.add(name);
      return "";
    });
    return names;
  }

  private interface Lookup {
    String value(String name);
  }

  private static void scan(String word, StringBuilder out, Lookup lookup) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < word.length() && word.charAt(i + 1) == c) {
        out.append(c);
        i++;
      } else if (c == '{') {
        int end = word.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("'" + word + "' opens a placeholder with { but never closes it (write {{"
              + " for a literal brace)");
        }
        String name = word.substring(i + 1, end);
        if (!Params.NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("'" + word + "': {" + name + "} is not a parameter name (letters,"
              + " digits and _, starting with a letter)");
        }
        out.append(lookup.value(name));
        i = end;
      } else if (c == '}') {
        throw new IllegalArgumentException("'" + word + "' has a } without a { (write }} for a literal brace)");
      } else {
        out.append(c);
      }
    }
  }
}
