# Generated package marker; the modules here are written by codegen.generator.clientgen. Do not edit.
