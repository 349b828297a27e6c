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
set lmargin at screen 0.072656
set rmargin at screen 0.980469
set tmargin at screen 0.868750
set bmargin at screen 0.116250
set yrange [3058.224000:-117.624000]
set ylabel 'time (ms; grey bands: time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key at screen 0.5, screen 0.005 center bottom horizontal box spacing 1.1 width 1 maxrows 4
set ytics ("0" 0.000000, "200" 350.800000, "700" 517.800000, "1580" 624.800000, "3000" 731.800000, "3200" 1233.400000, "3400" 1433.400000, "3600" 1935.000000, "3800" 2135.000000, "4000" 2335.000000, "4500" 2833.600000, "64510" 2940.600000)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 439.500000 to graph 1, first 509.100000 fc rgb '#ececec' fs solid 1 noborder behind
set label '420.000 ms cut (nothing on the wire)' at first 0.500, first 474.300000 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 546.500000 to graph 1, first 616.100000 fc rgb '#ececec' fs solid 1 noborder behind
set label '860.000 ms cut (nothing on the wire)' at first 0.500, first 581.300000 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 653.500000 to graph 1, first 723.100000 fc rgb '#ececec' fs solid 1 noborder behind
set label '1.400 s cut (nothing on the wire)' at first 0.500, first 688.300000 center font ',10' tc rgb '#606060'
set object 4 rect from graph 0, first 2755.300000 to graph 1, first 2824.900000 fc rgb '#ececec' fs solid 1 noborder behind
set label '390.000 ms cut (nothing on the wire)' at first 0.500, first 2790.100000 center font ',10' tc rgb '#606060'
set object 5 rect from graph 0, first 2862.300000 to graph 1, first 2931.900000 fc rgb '#ececec' fs solid 1 noborder behind
set label '59.990 s cut (nothing on the wire)' at first 0.500, first 2897.100000 center font ',10' tc rgb '#606060'
set title 'Ladder diagram: segments between hosts, time running down' . "\n" . '(29 labels hidden where there is no room: see ladder.dat, or use --from/--to)'
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors nohead lw 0.8 lc rgb '#909090' notitle, \
  'ladder.dat' index 1 using 1:2:3:($5 == 1 ? NaN : $4) with vectors nohead lw 2.5 lc rgb '#c0392b' title '2 x MSL (tick: restarted)', \
  '' index 1 using 1:2:3:($5 == 1 ? $4 : NaN) with vectors nohead lw 2 dt 2 lc rgb '#c0392b' title '2 x MSL not waited', \
  'ladder.dat' index 2 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 2 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 3 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 2 lc rgb '#e07000' title 'retransmission', \
  '' index 3 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',10' tc rgb '#e07000' notitle, \
  'ladder.dat' index 4 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 4 using 1:($8 > 0 ? $7 : 1e30):3 with labels center boxed font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 5 using 1:($8 > 0 ? 1e30 : $2) with points pt 13 ps 1.1 lc rgb '#1e6b30' title 'socket call (= result)', \
  '' index 5 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0x1e6b30) with labels boxed center font ',10' tc rgb variable notitle, \
  '' index 6 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0xc0392b) with labels boxed center font ',10' tc rgb variable notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
