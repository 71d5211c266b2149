"""Language helpers shared by both environments (stdlib + kiwipiepy only; Python 3.10 compatible)."""
