"""What the inspecting commands show (show, the fail-point register, the rules): data
first, then writers chosen by name; the rich terminal writer is the only rich here."""
