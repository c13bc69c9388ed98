package io.hps.space;

import java.util.List;

/** A parameter with one value, written in a space file as a bare JSON scalar. */
public record Fixed(String name, Object value, Condition when) implements Parameter {
  public Fixed {
    value = Values.normalize(name, value);
  }

  @Override
  public boolean searched() {
    return false;
  }

  @Override
  public double encode(Object v) {
    return 0.5;
  }

  @Override
  public Object decode(double u) {
    return value;
  }

  @Override
  public List<Object> grid() {
    return List.of(value);
  }
}
