package io.nautilus.asr.ctc;

class CtcLossGraphTest extends CtcLossContract {
  @Override
  CtcLoss.Method method() {
    return CtcLoss.Method.GRAPH;
  }
}
