# Generated package marker; the modules here are written by servicekit.clientgen. Do not edit.
