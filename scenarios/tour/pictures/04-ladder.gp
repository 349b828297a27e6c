# ladder.gp: ladder diagram, one column per host, time running down, one arrow per segment
# Written by twsim. The data is in ladder.dat (plain columns, described in its
# header). Edit freely and rerun `gnuplot ladder.gp`: it writes ladder.png and
# ladder.svg (twsim passes temporary names in png_out and svg_out).
reset
if (!exists("png_out")) png_out = 'ladder.png'
if (!exists("svg_out")) svg_out = 'ladder.svg'
set encoding utf8
if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {
  set terminal pngcairo size 1280,800 noenhanced font 'Sans,12' linewidth 1.5
} else {
  set terminal png size 1280,800 noenhanced
}
set output png_out
set title 'Ladder diagram: segments between hosts, time running down' font ',16'
set style textbox opaque noborder margins 1,1
unset xtics
set x2tics scale 0 font ',14' ('client' 0, 'server' 1)
set xrange [-0.8:1.8]
set x2range [-0.8:1.8]
set lmargin at screen 0.065625
set rmargin at screen 0.980469
set tmargin at screen 0.868750
set bmargin at screen 0.168750
set yrange [585.104000:-22.504000]
set ylabel 'time (ms; grey bands: time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key at screen 0.5, screen 0.005 center bottom horizontal box spacing 1.1 width 1 maxrows 4
set ytics ("0" 0.000000, "50" 50.000000, "100" 100.000000, "150" 150.000000, "200" 200.000000, "500" 318.200000, "720" 367.600000, "1000" 407.600000, "2105" 467.600000, "2150" 512.600000, "2200" 562.600000)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 291.200000 to graph 1, first 315.200000 fc rgb '#f4f4f4' fs solid 1 border lc rgb '#a0a0a0' dt 2 behind
set label '270.000 ms cut (2 segments in flight)' at first -0.410, first 303.200000 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 323.140000 to graph 1, first 362.660000 fc rgb '#f4f4f4' fs solid 1 border lc rgb '#a0a0a0' dt 2 behind
set label '220.000 ms cut (2 segments in flight)' at first -0.410, first 342.900000 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 380.600000 to graph 1, first 404.600000 fc rgb '#f4f4f4' fs solid 1 border lc rgb '#a0a0a0' dt 2 behind
set label '270.000 ms cut (1 segment in flight)' at first -0.410, first 392.600000 center font ',10' tc rgb '#606060'
set object 4 rect from graph 0, first 440.600000 to graph 1, first 464.600000 fc rgb '#f4f4f4' fs solid 1 border lc rgb '#a0a0a0' dt 2 behind
set label '1.075 s cut (1 segment in flight)' at first 0.500, first 452.600000 center font ',10' tc rgb '#606060'
set title 'Ladder diagram: segments between hosts, time running down' . "\n" . '(8 labels hidden where there is no room: see ladder.dat, or use --from/--to)'
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors nohead lw 0.8 lc rgb '#909090' notitle, \
  'ladder.dat' index 1 using 1:2:3:($5 == 1 ? NaN : $4) with vectors nohead lw 2.5 lc rgb '#c0392b' title '2 x MSL (tick: restarted)', \
  '' index 1 using 1:2:3:($5 == 1 ? $4 : NaN) with vectors nohead lw 2 dt 2 lc rgb '#c0392b' title '2 x MSL not waited', \
  'ladder.dat' index 2 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 2 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 3 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 2 dt 4 lc rgb '#8e44ad' title 'duplicate (link copy)', \
  '' index 3 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',10' tc rgb '#8e44ad' notitle, \
  'ladder.dat' index 4 using 1:2:3:4 with vectors head filled size screen 0.013,20 lw 3.5 lc rgb '#d4001a' title 'stale (older incarnation)', \
  '' index 4 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',11' tc rgb '#d4001a' notitle, \
  'ladder.dat' index 5 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 5 using 1:($8 > 0 ? $7 : 1e30):3 with labels center boxed font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 6 using 1:($8 > 0 ? 1e30 : $2) with points pt 13 ps 1.1 lc rgb '#1e6b30' title 'socket call (= result)', \
  '' index 6 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0x1e6b30) with labels boxed center font ',10' tc rgb variable notitle, \
  '' index 7 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0xc0392b) with labels boxed center font ',10' tc rgb variable notitle, \
  'ladder.dat' index 8 using 1:($8 > 0 ? 1e30 : $2) with points pt 5 ps 2.2 lc rgb '#d35400' title 'real data discarded', \
  '' index 8 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0xd35400) with labels boxed center font ',11' tc rgb variable notitle, \
  'ladder.dat' index 9 using 1:2 with points pt 6 ps 3.5 lw 3 lc rgb '#e6007e' title 'stale bytes accepted', \
  'ladder.dat' index 10 using 1:2 with points pt 3 ps 4 lw 3 lc rgb '#e6007e' title 'corruption (stale bytes read)', \
  '' index 10 using 4:($8 > 0 ? $5 : 1e30):6 with labels boxed center font ',12' tc rgb '#e6007e' notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
