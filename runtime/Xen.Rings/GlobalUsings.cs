global using System.Numerics;
global using System.Runtime.CompilerServices;
