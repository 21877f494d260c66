#include "app/cli.h"

int main(int argc, char** argv) { return iiot::RunCli(argc, argv); }
