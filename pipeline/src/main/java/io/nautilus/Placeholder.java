package io.nautilus;
class Placeholder {}
