package io.nautilus.asr.ctc;

class CtcLossHostTest extends CtcLossContract {
  @Override
  CtcLoss.Method method() {
    return CtcLoss.Method.HOST;
  }
}
